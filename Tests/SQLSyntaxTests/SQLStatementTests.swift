import SQLSyntax
import Testing

@Suite("SQL lexing and statement splitting")
struct SQLStatementTests {
    @Test func splitsAtTopLevelSemicolonsOnly() throws {
        let script = """
        -- a comment; with a semicolon
        CREATE TABLE a (x text DEFAULT 'semi;colon', "odd;name" int);
        /* block; /* nested; */ still comment; */
        INSERT INTO a (x) VALUES ('it''s; fine'), (E'back\\'; slash');
        CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
        DO $$ BEGIN PERFORM 1; END $$;
        SELECT 1
        """
        let statements = try SQLStatement.split(script).map(\.text)
        try #require(statements.count == 5)
        #expect(statements[0] == #"CREATE TABLE a (x text DEFAULT 'semi;colon', "odd;name" int)"#)
        #expect(statements[1] == #"INSERT INTO a (x) VALUES ('it''s; fine'), (E'back\'; slash')"#)
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql")
        #expect(statements[3] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[4] == "SELECT 1")
    }

    @Test func emptyAndCommentOnlyScriptsHaveNoStatements() throws {
        #expect(try SQLStatement.split("").isEmpty)
        #expect(try SQLStatement.split("-- nothing\n/* here */\n;\n").isEmpty)
    }

    @Test func tokensCarryKindsAndPositions() throws {
        let tokens = try SQLLexer.tokenize("SELECT \"Id\", $12::uuid,\n  'a''b' <> 1.5e3 -> x")
        #expect(tokens.map(\.kind) == [.word, .quotedIdentifier, .symbol, .parameter(12), .symbol, .word, .symbol, .string, .symbol, .number, .symbol, .word])
        #expect(tokens.map(\.text) == ["SELECT", "Id", ",", "$12", "::", "uuid", ",", "a'b", "<>", "1.5e3", "->", "x"])
        #expect(tokens[7].line == 2 && tokens[7].column == 3)
        #expect(tokens[0].isWord("select") && tokens[1].identifier == "Id" && tokens[5].identifier == "uuid")
    }

    @Test func unterminatedConstructsPointAtTheirStart() {
        #expect(throws: SQLSyntaxError("unterminated string constant", line: 2, column: 8)) { try SQLLexer.tokenize("SELECT\nselect 'abc") }
        #expect(throws: SQLSyntaxError("unterminated /* comment", line: 1, column: 10)) { try SQLLexer.tokenize("SELECT 1 /* /* */") }
        #expect(throws: SQLSyntaxError("unterminated dollar-quoted string $f$", line: 1, column: 6)) { try SQLLexer.tokenize("DO x $f$ body") }
        #expect(throws: SQLSyntaxError("unterminated quoted identifier", line: 1, column: 8)) { try SQLLexer.tokenize("SELECT \"a") }
    }
}
