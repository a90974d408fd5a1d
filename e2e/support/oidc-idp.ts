/**
 * A real OpenID Connect identity provider for the browser tests (`oidc-provider`, the certified
 * implementation), with its built-in login and consent pages. A test reserves it first (so the
 * issuer URL is known when the SSO connection is created), then starts it with the one client —
 * whose redirect URI names that connection — and the people who may sign in.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface IdpPerson {
  email: string;
  name: string;
  groups: string[];
}

export interface IdpClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface ReservedIdp {
  issuer: string;
  start(client: IdpClient, people: IdpPerson[]): void;
  close(): Promise<void>;
}

export async function reserveOidcIdp(): Promise<ReservedIdp> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503).end("identity provider not started yet");
  });
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    start(client, people) {
      const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: [client.redirectUri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
        scopes: ["openid", "email", "profile", "groups"],
        // Put email, name and groups in the ID token too, where the relying party reads them.
        conformIdTokenClaims: false,
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ["e2e-only-cookie-signing-key"] },
        async findAccount(_ctx, id) {
          const person = byEmail.get(id.toLowerCase());
          if (!person) return undefined;
          return {
            accountId: person.email,
            async claims() {
              return {
                sub: person.email,
                email: person.email,
                email_verified: true,
                name: person.name,
                groups: person.groups,
              };
            },
          };
        },
      });
      const callback = provider.callback();
      handle = (req, res) => void callback(req, res);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
