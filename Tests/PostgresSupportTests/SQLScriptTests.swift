import PostgresSupport
import Testing

@Suite("SQL script splitting")
struct SQLScriptTests {
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
        let statements = SQLScript.statements(script)
        try #require(statements.count == 5)
        #expect(statements[0] == #"CREATE TABLE a (x text DEFAULT 'semi;colon', "odd;name" int)"#)
        #expect(statements[1].hasPrefix("INSERT INTO a (x) VALUES ('it''s; fine'), (E'back"))
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql")
        #expect(statements[3] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[4] == "SELECT 1")
    }

    @Test func emptyAndCommentOnlyScriptsHaveNoStatements() {
        #expect(SQLScript.statements("").isEmpty)
        #expect(SQLScript.statements("-- nothing\n/* here */\n;\n").isEmpty)
    }
}
