// sharedb 7 and ot-text 1.0.2 ship no types; only what the benchmark touches is declared.
declare module "ot-text" {
  export const type: {
    name: string;
    uri: string;
    apply(snapshot: string, op: unknown[]): string;
    compose(a: unknown[], b: unknown[]): unknown[];
    transform(op: unknown[], other: unknown[], side: "left" | "right"): unknown[];
  };
  const otText: { type: typeof type };
  export default otText;
}

declare module "sharedb" {
  import type { Duplex } from "node:stream";
  interface Doc {
    data: unknown;
    version: number | null;
    fetch(callback: (error?: Error) => void): void;
    create(data: unknown, type: string, callback: (error?: Error) => void): void;
  }
  interface LocalConnection {
    get(collection: string, id: string): Doc;
    close(): void;
  }
  class ShareDB {
    static types: { register(type: unknown): void };
    connect(): LocalConnection;
    listen(stream: Duplex): void;
    close(callback?: (error?: Error) => void): void;
  }
  export default ShareDB;
}

declare module "sharedb/lib/client" {
  interface Doc {
    data: unknown;
    version: number | null;
    subscribe(callback: (error?: Error) => void): void;
    submitOp(op: unknown, callback?: (error?: Error) => void): void;
    hasWritePending(): boolean;
    on(event: "error", listener: (error: Error) => void): void;
  }
  interface Connection {
    id: string | null;
    get(collection: string, id: string): Doc;
    on(event: string, listener: (...args: never[]) => void): void;
    close(): void;
  }
  const client: {
    Connection: new (socket: unknown) => Connection;
    types: { register(type: unknown): void };
  };
  export default client;
}
