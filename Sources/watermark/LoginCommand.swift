import ArgumentParser
import ContractClient
import Foundation
import WatermarkClient

/// `watermark login --server URL --email ADDRESS [--token-file F]`: signs in (the password is read
/// from standard input) and keeps the session in the token file `watermark submit` uses.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign in to a running service and keep the session for `watermark submit`.")

    @Option(help: "The service's base URL, e.g. http://localhost:8080.") var server: String
    @Option(help: "The account's email address.") var email: String
    @Option(name: .customLong("token-file"), help: "Where to keep the session (default: $WATERMARK_TOKEN_FILE or ~/.config/watermark/tokens.json).")
    var tokenFile: String?

    func run() async throws {
        FileHandle.standardError.write(Data("password for \(email): ".utf8))
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError("no password on standard input")
        }
        let client = ServiceConnection.client(server: server)
        do {
            guard case .ok(let session) = try await client.login(idempotencyKey: "login-\(UUID())", body: LoginRequest(email: email, password: password)) else {
                throw CommandFailure(.service, "login: unexpected answer")
            }
            TokenFile(tokenFile).write(TokenSession.Tokens(accessToken: session.tokens.accessToken, refreshToken: session.tokens.refreshToken))
            print("signed in as \(session.user.email); session kept in \(TokenFile(tokenFile).path)")
        } catch let failure as ClientOperations.Login.Failure {
            FileHandle.standardError.write(Data("login: \(failure.answer.message)\n".utf8))
            throw ExitCode(CommandFailure.Kind.signIn.rawValue)
        }
    }
}
