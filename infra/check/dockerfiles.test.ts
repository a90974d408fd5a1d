import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintDockerfile, runtimeStage } from "./dockerfiles";

const dockerDir = path.resolve(import.meta.dirname, "..", "docker");
const APP_PORTS = { web: 3000, collab: 3001, ai: 3002, worker: 3003 } as const;

const GOOD = `ARG BASE=node:20.20.2-bookworm-slim
FROM \${BASE} AS build
COPY . .
RUN npm install
FROM \${BASE}
COPY --from=build /out/ /app/
USER 10001:10001
EXPOSE 3001
HEALTHCHECK CMD ["node", "-e", "process.exit(0)"]
CMD ["node", "main.mjs"]
`;

const messages = (text: string) => lintDockerfile(text).map((p) => p.message);

describe("the apps' Dockerfiles", () => {
  for (const [app, port] of Object.entries(APP_PORTS)) {
    describe(app, () => {
      const text = readFileSync(path.join(dockerDir, `${app}.Dockerfile`), "utf8");

      it("lint clean", () => {
        expect(lintDockerfile(text)).toEqual([]);
      });

      it(`assemble the ${app} app with infra/build, run it unprivileged in production and expose its port`, () => {
        expect(text).toContain(`infra/build/build-app.ts ${app} --out /out`);
        const stage = runtimeStage(text);
        expect(stage.user).toBe("10001:10001");
        expect(stage.env).toMatchObject({ NODE_ENV: "production", DEVFLOW_ENV: "production", PORT: String(port) });
        expect(stage.exposedPorts).toEqual([port]);
        expect(stage.cmd[0]).toBe("node");
      });
    });
  }
});

describe("lintDockerfile", () => {
  it("passes a small well-formed two-stage file", () => {
    expect(lintDockerfile(GOOD)).toEqual([]);
  });

  it("reports Docker's own syntax errors with their line", () => {
    const problems = lintDockerfile(GOOD.replace("EXPOSE 3001", "EXPOSE port-one"));
    expect(problems.some((p) => p.line === 8)).toBe(true);
  });

  it("wants a pinned base image", () => {
    expect(messages(GOOD.replace("node:20.20.2-bookworm-slim", "node:latest"))).toContainEqual(
      expect.stringMatching(/version tag/),
    );
    expect(messages(GOOD.replace("node:20.20.2-bookworm-slim", "node"))).toContainEqual(
      expect.stringMatching(/version tag/),
    );
  });

  it("refuses a runtime stage that runs as root, or has no user at all", () => {
    expect(messages(GOOD.replace("USER 10001:10001", "USER root"))).toContain("the runtime stage must not run as root");
    expect(messages(GOOD.replace("USER 10001:10001\n", ""))).toContain(
      "the runtime stage must switch to an unprivileged USER",
    );
  });

  it("wants a health check, an exec-form CMD and one build stage to copy from", () => {
    expect(messages(GOOD.replace(/HEALTHCHECK.*\n/, ""))).toContain("the runtime stage needs a HEALTHCHECK");
    expect(messages(GOOD.replace('CMD ["node", "main.mjs"]', "CMD node main.mjs"))).toContainEqual(
      expect.stringMatching(/exec \(JSON\) form/),
    );
    expect(messages(GOOD.replace("COPY --from=build /out/ /app/", "COPY . /app/"))).toContainEqual(
      expect.stringMatching(/copies only what a build stage produced/),
    );
    const singleStage = 'FROM node:20.20.2-bookworm-slim\nUSER 1000\nEXPOSE 1\nHEALTHCHECK NONE\nCMD ["node"]\n';
    expect(messages(singleStage)).toContainEqual(expect.stringMatching(/multi-stage/));
  });

  it("flags ADD, npm ci and apt-get installs that bring recommends", () => {
    const text = GOOD.replace(
      "RUN npm install",
      "ADD https://example.com/x.tgz /x\nRUN npm ci\nRUN apt-get install -y curl",
    );
    expect(messages(text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^use COPY/),
        expect.stringMatching(/^use npm install/),
        expect.stringMatching(/--no-install-recommends/),
      ]),
    );
  });

  it("reads the runtime stage's environment, directory, user, ports and command", () => {
    expect(runtimeStage(GOOD.replace("USER", 'ENV A=1 B="two words"\nWORKDIR /app\nUSER'))).toEqual({
      env: { A: "1", B: "two words" },
      workdir: "/app",
      cmd: ["node", "main.mjs"],
      user: "10001:10001",
      exposedPorts: [3001],
    });
  });
});
