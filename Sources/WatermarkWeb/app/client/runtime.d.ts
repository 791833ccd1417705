// Type declarations of runtime.js (see there). Generated from templates/typescript/runtime.d.ts.mustache: do not edit.

/** One reason a value does not satisfy the contract, at a JSON pointer (`/body/mask/polygons/0`). */
export interface FieldIssue {
    field: string;
    reason: string;
}

/** A schema as data: what `validate` checks, with the value type it describes. */
export interface Descriptor<T> {
    readonly type: string;
    /** Never present: carries the described type. */
    readonly __described?: T;
}

/** What `validate` says about `value`: empty when it satisfies `descriptor`. */
export declare function validate<T>(descriptor: Descriptor<T>, value: unknown, pointer?: string): FieldIssue[];

/** A parameter of an operation as the runtime sends it. */
export interface ParameterDescription {
    readonly name: string;
    readonly key: string;
    readonly in: "path" | "query" | "header";
    readonly required: boolean;
    readonly schema: Descriptor<unknown>;
}

/** How an operation is sent and read. */
export interface OperationDescription {
    readonly id: string;
    readonly method: string;
    readonly path: string;
    readonly credentials: boolean;
    readonly parameters: readonly ParameterDescription[];
    readonly body: { readonly required: boolean; readonly raw: boolean; readonly form?: boolean; readonly contentType: string; readonly schema?: Descriptor<unknown> } | null;
    readonly responses: { readonly [status: number]: { readonly reading: "none" | "json" | "envelope" | "raw"; readonly schema?: Descriptor<unknown> } };
    readonly errors: readonly number[];
    readonly events: Descriptor<unknown> | null;
}

/** The kinds of `ContractClientError`. */
export type ContractClientErrorKind = "invalidRequest" | "undeclaredResponse" | "invalidResponse" | "transport";

/** A request the contract refuses, an answer it does not declare or that does not match it, or
 *  a server that could not be reached. */
export declare class ContractClientError extends Error {
    readonly kind: ContractClientErrorKind;
    readonly operationId: string;
    /** For `invalidRequest` and `invalidResponse`: what is wrong, with the server's pointers. */
    readonly issues: FieldIssue[];
    readonly status: number | null;
    /** The start of an unexpected answer's body. */
    readonly excerpt: string;
}

/** A catalog entry: symbolic name, HTTP status and the message in each language. */
export interface CatalogEntry {
    readonly name: string;
    readonly httpStatus: number;
    readonly messages: { readonly [language: string]: string };
}

/** An error answer of the service. */
export declare class ApiError<Code extends number = number> extends Error {
    readonly operationId: string;
    readonly status: number;
    /** The catalog code (`40001`, `40901`, …). */
    readonly code: Code;
    /** The catalog's symbolic name (`VALIDATION_FAILED`), null for a code the catalog lacks. */
    readonly symbol: string | null;
    readonly requestId: string | null;
    /** For validation failures: each field and why. */
    readonly details: FieldIssue[];
    /** Whether the operation declares this code. */
    readonly declared: boolean;
    /** Seconds the server asked to wait (Retry-After), if it said. */
    readonly retryAfter: number | null;
    /** The catalog's message in `language` (`zh-CN`, `en`), else the server's. */
    messageIn(language: string): string;
}

/** How idempotent requests are retried. */
export interface RetryPolicy {
    readonly attempts: number;
    readonly firstDelayMs: number;
    readonly longestWaitMs: number;
    readonly statuses: readonly number[];
}

export declare const defaultRetry: RetryPolicy;

/** The wait in milliseconds before the next attempt, or null to give up. */
export declare function retryDelay(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | null, random?: number): number | null;

/** An access token and the refresh token that renews it. */
export interface Tokens {
    accessToken: string;
    refreshToken: string;
}

/** The signed-in user's tokens, renewed once however many requests were refused at once. */
export declare class TokenSession {
    constructor(options?: { tokens?: Tokens | null; refresh?: ((refreshToken: string) => Promise<Tokens>) | null; onChange?: (tokens: Tokens | null) => void });
    readonly tokens: Tokens | null;
    readonly accessToken: string | null;
    set refresher(refresh: (refreshToken: string) => Promise<Tokens>);
    signIn(tokens: Tokens): void;
    signOut(): void;
    renew(rejected: string): Promise<string | null>;
}

/** One server-sent event. */
export interface ServerSentEvent<T> {
    id: string | null;
    name: string;
    data: T;
}

/** Parses a `text/event-stream` fed in chunks of any size. */
export declare class EventStreamParser {
    feed(text: string): { id: string | null; name: string; data: string }[];
}

/** A declared answer: its status, body and headers. */
export interface ClientResponse<Status extends number, Body> {
    status: Status;
    body: Body;
    headers: Headers;
}

/** How a client is made. */
export interface ClientOptions {
    /** Where the service is (`https://api.example.com`; the operations' paths are appended). */
    baseURL: string;
    fetch?: typeof fetch;
    /** The tokens sent to operations that require them. */
    session?: TokenSession | null;
    retry?: RetryPolicy;
    /** Sent as Accept-Language: the language of the server's messages. */
    language?: string | null;
    /** Check declared answers against the contract (a development switch). */
    validateResponses?: boolean;
    /** Headers sent with every request. */
    headers?: { [name: string]: string };
}

/** Options of one call. */
export interface CallOptions {
    signal?: AbortSignal;
    /** For event streams: reconnections in a row before giving up (default 5). */
    reconnects?: number;
}

/** What generated clients are built on. */
export declare class ClientCore {
    constructor(options: ClientOptions, catalog?: { readonly [code: number]: CatalogEntry });
    readonly baseURL: string;
    session: TokenSession | null;
    /** Sent as Accept-Language; may change between calls. */
    language: string | null;
    checkInput(operation: OperationDescription, input?: object): FieldIssue[];
}
