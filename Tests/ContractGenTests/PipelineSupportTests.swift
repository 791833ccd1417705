@testable import ContractGenCore
import Foundation
import Synchronization
import Testing

/// The small pieces the pipeline's speed rests on: they must give exactly what the slower
/// forms they replaced gave.
@Suite("pipeline support")
struct PipelineSupportTests {
    @Test func parallelJobsReturnResultsInJobOrderWhateverFinishesFirst() {
        let started = Mutex<[Int]>([])
        let results = ParallelJobs.run(64) { index -> String in
            // Early jobs take longest, so later ones finish first on the other core.
            if index < 4 { Thread.sleep(forTimeInterval: 0.01) }
            started.withLock { $0.append(index) }
            return "job \(index)"
        }
        #expect(results == (0..<64).map { "job \($0)" })
        #expect(started.withLock { $0.sorted() } == Array(0..<64))
        #expect(ParallelJobs.run(0) { $0 }.isEmpty)
        #expect(ParallelJobs.run(1) { $0 + 41 } == [41])
    }

    @Test(arguments: [
        ("", [String]()),
        ("#", []),
        ("/", [""]),
        ("#/components/schemas/Task", ["components", "schemas", "Task"]),
        ("/paths/~1tasks~1{id}/get", ["paths", "/tasks/{id}", "get"]),
        ("/a~0b/~01", ["a~b", "~1"]),
        ("#/components/schemas/Caf%C3%A9%20Order", ["components", "schemas", "Café Order"]),
        ("/items/0//x", ["items", "0", "", "x"]),
        ("no-leading-slash", []),
    ])
    func jsonPointersParse(_ text: String, tokens: [String]) {
        #expect(JSONPointer(parsing: text).tokens == tokens)
    }

    @Test func jsonPointersEscapeWhatTheyParse() {
        let pointer = JSONPointer(["paths", "/tasks/{id}", "a~b", "plain", "~1/"])
        #expect(pointer.description == "/paths/~1tasks~1{id}/a~0b/plain/~01~1")
        #expect(JSONPointer(parsing: pointer.description) == pointer)
        #expect(JSONPointer.escape("plain") == "plain")
        #expect(JSONPointer.root.description == "")
    }

    @Test func tidyRemovesTrailingSpacesAndOuterBlankLinesOnly() {
        #expect(TemplateRenderer.tidy("\n\nstruct A {  \n    let a = \"x  y\"\t \n}\n\n\n") == "struct A {\n    let a = \"x  y\"\t\n}")
        #expect(TemplateRenderer.tidy("   \n \n") == "")
        #expect(TemplateRenderer.tidy("") == "")
        #expect(TemplateRenderer.tidy("a\n\n\nb   ") == "a\n\n\nb")
        #expect(TemplateRenderer.tidy("  indented") == "  indented")
        #expect(TemplateRenderer.tidy("é  \nü") == "é\nü")
    }

    @Test func nestingMarksIndentTheLinesBetweenThem() {
        // A nested declaration and a loop's body inside it: each mark line is removed, the lines it
        // encloses move four spaces right, blank lines stay blank.
        let rendered = "struct A {\n⇥\nstruct B {\n    func f() {\n⇥\n⇥\nfor x in y {\n⇥\ncheck(x)\n⇤\n}\n\n⇤\n⇤\n    }\n}\n⇤\n}\n"
        #expect(TemplateRenderer.tidy(rendered) == """
        struct A {
            struct B {
                func f() {
                    for x in y {
                        check(x)
                    }

                }
            }
        }
        """)
        #expect(TemplateRenderer.tidy("  ⇥  \na\n⇤\n⇤\nb") == "    a\nb", "a mark may be indented; depth never goes below zero")
        #expect(TemplateRenderer.tidy("a ⇥\n⇥x") == "a ⇥\n⇥x", "a mark is a line of its own")
    }
}
