/**
 * The Dockerfile and compose.yaml checked against the code (images cannot be pulled or built on
 * the machines that run the tests): every command, script, file, port and environment name they
 * use must exist here, the services must point at each other consistently, and the image's
 * health check command really answers against a running web server.
 */
import { describe, it, expect, afterAll } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { EnvSchema } from "../env.js";
import { closeDb } from "../../db/db.js";
import { startTestServer } from "../testing/server.js";
import { envPairs, execForm, parseDockerfile } from "./dockerfile.js";

const repo = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const read = (f: string) => fs.readFileSync(path.join(repo, f), "utf8");
const exists = (f: string) => fs.existsSync(path.join(repo, f));
const pkg = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};
const schemaKeys = new Set(Object.keys(EnvSchema.shape));
const docker = parseDockerfile(read("Dockerfile"));
const compose = parseYaml(read("compose.yaml"), { merge: true }) as {
  services: Record<string, any>;
  volumes: Record<string, unknown>;
};
const dockerignore = read(".dockerignore")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

afterAll(() => closeDb());

/** Build-time settings the addon build reads (native/gyp-config.cjs, scripts/build-addon.sh). */
const buildSettingRead = (name: string) =>
  read("native/gyp-config.cjs").includes(`env.${name}`) || read("scripts/build-addon.sh").includes(name);

/** Checks one command line (argv, or a `sh -c` string) against the repository; returns what it runs. */
function checkCommand(argv: string[], where: string): string[] {
  const line = argv[0] === "sh" && argv[1] === "-c" ? argv[2] : argv.join(" ");
  const parts = line
    .split(/&&|;/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts) {
    const w = p.split(/\s+/);
    if (w[0] === "npm" && w[1] === "run") expect(pkg.scripts, `${where}: npm run ${w[2]}`).toHaveProperty([w[2]]);
    if (w[0] === "node") {
      const files = w.slice(1).filter((a, i, all) => !a.startsWith("-") && all[i - 1] !== "--import");
      expect(files.length, `${where}: ${p}`).toBeGreaterThan(0);
      expect(exists(files[0]), `${where}: ${files[0]} exists`).toBe(true);
      if (w.includes("--import")) {
        const loader = w[w.indexOf("--import") + 1];
        expect({ ...pkg.dependencies, ...pkg.devDependencies }, `${where}: --import ${loader}`).toHaveProperty([
          loader,
        ]);
      }
    }
    if (w[0] === "bash" || w[0] === "sh")
      if (w[1] && !w[1].startsWith("-")) expect(exists(w[1]), `${where}: ${w[1]}`).toBe(true);
  }
  return parts;
}

describe("Dockerfile", () => {
  const runtime = "runtime";

  it("is multi-stage on Debian 12 with a supported Node, and every stage it copies from exists", () => {
    expect(docker.stages).toEqual(expect.arrayContaining(["toolchain", "build", runtime, "gpu-build", "gpu-worker"]));
    for (const { stage, from } of docker.froms) {
      if (docker.stages.includes(from)) continue;
      expect(from, `stage ${stage}`).toMatch(/bookworm/);
    }
    const nodeMajor = Number(docker.args.NODE_VERSION);
    expect(nodeMajor).toBeGreaterThanOrEqual(Number(pkg.engines.node.match(/\d+/)![0]));
    for (const c of docker.instructions.filter((i) => i.op === "COPY")) {
      const from = c.args.match(/--from=(\S+)/)?.[1];
      if (from) {
        expect(docker.stages.indexOf(from), `line ${c.line}: --from=${from}`).toBeGreaterThanOrEqual(0);
        expect(docker.stages.indexOf(from)).toBeLessThan(docker.stages.indexOf(c.stage));
        continue;
      }
      const words = c.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      for (const src of words.slice(0, -1)) {
        expect(exists(src), `line ${c.line}: COPY ${src}`).toBe(true);
        expect(dockerignore.includes(src), `line ${c.line}: ${src} is not ignored by .dockerignore`).toBe(false);
      }
    }
    // `COPY . .` after the install must not bring the host's node_modules or addon build along.
    expect(dockerignore).toEqual(expect.arrayContaining(["node_modules", "build", "dist", ".local", ".env", ".git"]));
  });

  it("installs the Debian packages the bare-machine setup installs, builds the addon with npm install, the web app with npm run build", () => {
    const aptOf = (stage: string) =>
      docker
        .in(stage, "RUN")
        .flatMap((r) => r.args.match(/apt-get install[^&]*/g) ?? [])
        .join(" ")
        .split(/\s+/);
    const lib = read("scripts/lib.sh")
      .match(/APT_PACKAGES=\(([^)]*)\)/)![1]
      .split(/\s+/)
      .filter(Boolean);
    // The database, the browser and its CJK font serve the local start and the browser tests, not the image.
    const buildPkgs = lib.filter((p) => !/^mariadb|^chromium|^fonts-/.test(p));
    expect(aptOf("toolchain")).toEqual(expect.arrayContaining(buildPkgs));
    const build = docker.in("build", "RUN").map((r) => r.args);
    expect(
      build.some((r) => /^npm install\b/.test(r) && !/--omit=dev|--production|--ignore-scripts/.test(r)),
      "npm install runs the install script, with dev packages (tsx)",
    ).toBe(true);
    expect(pkg.scripts.install).toContain("scripts/build-addon.sh");
    for (const r of docker.instructions.filter((i) => i.op === "RUN"))
      checkCommand(["sh", "-c", r.args], `RUN line ${r.line}`);
    expect(build.some((r) => r.includes("npm run build"))).toBe(true);
    expect(pkg.scripts.build).toMatch(/remix build/);
  });

  it("ships the runtime libraries the built addon links (torch, c10, xgboost) and runs as a non-root user", () => {
    const runtimeApt = docker
      .in(runtime, "RUN")
      .flatMap((r) => r.args.match(/apt-get install[^&]*/g) ?? [])
      .join(" ")
      .split(/\s+/);
    const ldd = execFileSync("ldd", [path.join(repo, "build/Release/voltlab_native.node")], { encoding: "utf8" });
    const libs = [...ldd.matchAll(/=>\s+(\S*(?:torch|c10|xgboost)\S*)/g)].map((m) => m[1]);
    expect(libs.length).toBeGreaterThanOrEqual(3);
    for (const lib of libs) {
      const owner = execFileSync("dpkg", ["-S", fs.realpathSync(lib)], { encoding: "utf8" }).split(":")[0];
      expect(runtimeApt, `${lib} (package ${owner})`).toContain(owner);
    }
    for (const s of [runtime, "gpu-worker"]) {
      const user = docker.in(s, "USER").at(-1)?.args;
      expect(user, `stage ${s}`).toBeTruthy();
      expect(["root", "0"]).not.toContain(user);
      expect(
        docker.instructions.some((i) => i.op === "RUN" && i.args.includes(`useradd`) && i.args.includes(user!)),
      ).toBe(true);
    }
  });

  it("names only settings the code reads; port, health check and commands match the code", () => {
    for (const e of docker.instructions.filter((i) => i.op === "ENV")) {
      for (const name of Object.keys(envPairs(e.args))) {
        const known = schemaKeys.has(name) || buildSettingRead(name) || name.startsWith("npm_config_");
        expect(known, `ENV ${name} (line ${e.line}) is read by nothing`).toBe(true);
      }
    }
    const env = Object.assign({}, ...docker.in(runtime, "ENV").map((e) => envPairs(e.args))) as Record<string, string>;
    expect(EnvSchema.safeParse({ DATABASE_URL: "mysql://u:p@db/v", ...env }).success).toBe(true);
    expect(docker.in(runtime, "EXPOSE").map((e) => e.args)).toEqual([env.PORT]);
    const cmd = execForm(docker.in(runtime, "CMD")[0].args)!;
    expect(checkCommand(cmd, "CMD")).toEqual(["node --import tsx server/index.ts"]);
    expect(checkCommand(execForm(docker.in("gpu-worker", "CMD")[0].args)!, "gpu CMD")).toEqual([
      "node --import tsx jobs/worker.ts",
    ]);
    const hc = execForm(docker.in(runtime, "HEALTHCHECK")[0].args)!;
    checkCommand(hc, "HEALTHCHECK");
    expect(hc).toEqual(["node", "docker/healthcheck.mjs"]);
  });

  it("the health check command exits 0 against a running web server and 1 when nothing answers", async () => {
    const run = promisify(execFile);
    const server = await startTestServer({ withRemix: false });
    const port = String(server.port);
    try {
      await expect(
        run(process.execPath, ["docker/healthcheck.mjs"], { cwd: repo, env: { NODE_ENV: "test", PORT: port } }),
      ).resolves.toBeDefined();
    } finally {
      await server.close();
    }
    const down = await run(process.execPath, ["docker/healthcheck.mjs"], {
      cwd: repo,
      env: { NODE_ENV: "test", PORT: port },
    }).catch((e: { code: number }) => e);
    expect((down as { code: number }).code).toBe(1);
  });
});

describe("compose.yaml", () => {
  const s = compose.services;
  /** `${NAME:-default}` / `${NAME:?message}` / `${NAME}` references in a string. */
  const refs = (v: string) => [...String(v).matchAll(/\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((m) => m[1]);
  /** The value with each reference replaced by its default, or a 32-character placeholder. */
  const substitute = (v: string) =>
    String(v).replace(
      /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*)|:\?[^}]*)?\}/g,
      (_m, _n, def?: string) => def ?? "x".repeat(32),
    );
  const ours = Object.entries(s).filter(([, svc]) => svc.build);

  it("has the database, the object store with its bucket, a one-shot migrate-and-seed, web, worker and a GPU worker profile", () => {
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(["mariadb", "minio", "minio-init", "migrate", "web", "worker", "worker-gpu"]),
    );
    expect(s.mariadb.image).toMatch(/^mariadb:/);
    expect(s.minio.image).toMatch(/minio\/minio/);
    expect(s["worker-gpu"].profiles).toEqual(["gpu"]);
    expect(s["worker-gpu"].deploy.resources.reservations.devices[0].capabilities).toEqual(["gpu"]);
    for (const [name, svc] of Object.entries(s)) {
      for (const [dep, cond] of Object.entries<any>(
        Array.isArray(svc.depends_on)
          ? Object.fromEntries(svc.depends_on.map((d: string) => [d, {}]))
          : (svc.depends_on ?? {}),
      )) {
        expect(s, `${name} depends on ${dep}`).toHaveProperty([dep]);
        if (cond.condition === "service_completed_successfully")
          expect(s[dep].restart, `${dep} is one-shot`).toBe("no");
        if (cond.condition === "service_healthy")
          expect(s[dep].healthcheck?.test, `${dep} has a health check`).toBeTruthy();
      }
      for (const v of svc.volumes ?? []) {
        const src = String(v).split(":")[0];
        if (src.startsWith(".")) expect(exists(src), `${name}: bind mount ${src}`).toBe(true);
        else expect(compose.volumes, `${name}: volume ${src} declared`).toHaveProperty([src]);
      }
    }
    expect(s.migrate.depends_on.mariadb.condition).toBe("service_healthy");
    for (const svc of ["web", "worker", "worker-gpu"])
      expect(s[svc].depends_on.migrate.condition).toBe("service_completed_successfully");
  });

  it("runs commands, scripts and Dockerfile targets that exist", () => {
    for (const [name, svc] of ours) {
      expect(docker.stages, `${name}: build target`).toContain(svc.build.target);
      expect(svc.build.context).toBe(".");
    }
    expect(checkCommand(s.migrate.command, "migrate")).toEqual(["npm run db:migrate", "npm run seed"]);
    expect(checkCommand(s.web.command, "web")).toEqual(["node --import tsx server/index.ts"]);
    expect(s.web.command).toEqual(execForm(docker.in("runtime", "CMD")[0].args));
    expect(checkCommand(s.worker.command, "worker")).toEqual(["node --import tsx jobs/worker.ts"]);
    expect(checkCommand(s["worker-gpu"].command, "worker-gpu")).toEqual(["node --import tsx jobs/worker.ts"]);
    checkCommand(s.web.healthcheck.test.slice(1), "web healthcheck");
    expect(s.web.healthcheck.test.slice(1)).toEqual(execForm(docker.in("runtime", "HEALTHCHECK")[0].args));
    for (const svc of ["worker", "migrate"]) expect(s[svc].healthcheck.disable, `${svc} serves no HTTP`).toBe(true);
    // The bucket script reads only what its service sets.
    const init = read(s["minio-init"].volumes[0].split(":")[0]);
    for (const n of new Set([...init.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1])))
      expect(s["minio-init"].environment, `minio-init.sh reads ${n}`).toHaveProperty([n]);
    expect(s["minio-init"].entrypoint.join(" ")).toContain(
      `/${path.basename(s["minio-init"].volumes[0].split(":")[1])}`,
    );
  });

  it("gives the app only settings of server/env.ts, valid, pointing at the compose services with matching credentials", () => {
    for (const [name, svc] of ours) {
      for (const k of Object.keys(svc.environment))
        expect(schemaKeys.has(k), `${name}: ${k} is not a setting of server/env.ts`).toBe(true);
      const env = Object.fromEntries(Object.entries<string>(svc.environment).map(([k, v]) => [k, substitute(v)]));
      const parsed = EnvSchema.safeParse(env);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
    }
    const env = s.web.environment;
    const db = new URL(substitute(env.DATABASE_URL));
    expect(s).toHaveProperty([db.hostname]);
    expect(db.port).toBe("3306");
    expect(db.username).toBe(s.mariadb.environment.MARIADB_USER);
    expect(db.pathname.slice(1)).toBe(s.mariadb.environment.MARIADB_DATABASE);
    expect(refs(env.DATABASE_URL)).toEqual(refs(s.mariadb.environment.MARIADB_PASSWORD));
    const s3 = new URL(env.S3_ENDPOINT);
    expect(s3.hostname).toBe("minio");
    expect(s.minio.ports.some((p: string) => p.endsWith(`:${s3.port}:${s3.port}`))).toBe(true);
    expect(env.S3_FORCE_PATH_STYLE).toBe("true");
    expect(refs(env.S3_ACCESS_KEY_ID)).toEqual(refs(s.minio.environment.MINIO_ROOT_USER));
    expect(refs(env.S3_SECRET_ACCESS_KEY)).toEqual(refs(s.minio.environment.MINIO_ROOT_PASSWORD));
    expect(substitute(env.S3_BUCKET)).toBe(substitute(s["minio-init"].environment.S3_BUCKET));
    expect(substitute(env.S3_ACCESS_KEY_ID)).toBe(substitute(s["minio-init"].environment.MINIO_ROOT_USER));
    // The web port: the container side of the mapping is the PORT the process listens on and the image exposes.
    const [, containerPort] = substitute(s.web.ports[0]).split(":");
    const webEnv = Object.fromEntries(Object.entries<string>(s.web.environment).map(([k, v]) => [k, substitute(v)]));
    expect(containerPort).toBe(String(EnvSchema.parse(webEnv).PORT));
    expect(docker.in("runtime", "EXPOSE")[0].args).toBe(containerPort);
  });

  it("documents every variable it reads from .env, in its header and in the README's Deploy section", () => {
    const text = read("compose.yaml");
    const header = text
      .split("\n")
      .filter((l) => l.startsWith("#"))
      .join("\n");
    const deploy = read("README.md")
      .split(/^## /m)
      .find((sec) => sec.startsWith("Deploy"));
    expect(deploy, "README has a Deploy section").toBeTruthy();
    for (const v of new Set(refs(text))) {
      expect(header, `${v} in compose.yaml's header`).toContain(v);
      expect(deploy, `${v} in the README's Deploy section`).toContain(v);
    }
  });
});
