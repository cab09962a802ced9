/**
 * A small Dockerfile reader for the deployment tests: instructions with their stage, line
 * continuations joined, comments dropped, `${ARG}` references resolved from ARG defaults.
 */
export interface Instruction {
  op: string;
  args: string;
  /** The stage's name (or its index) this instruction belongs to; FROM starts a stage. */
  stage: string;
  line: number;
}

export interface Dockerfile {
  instructions: Instruction[];
  /** Stage names in order. */
  stages: string[];
  /** FROM lines: the stage and what it starts from (an image, or an earlier stage). */
  froms: { stage: string; from: string }[];
  /** ARG defaults (global and per stage, last one wins). */
  args: Record<string, string>;
  in(stage: string, op?: string): Instruction[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const stages: string[] = [];
  const froms: { stage: string; from: string }[] = [];
  const args: Record<string, string> = {};
  let stage = "(global)";
  let buf = "";
  let start = 0;
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!buf && (line === "" || line.startsWith("#"))) return;
    if (buf && line.startsWith("#")) return; // comment inside a continued instruction
    if (!buf) start = i + 1;
    buf += (buf ? " " : "") + line.replace(/\\$/, "").trim();
    if (line.endsWith("\\")) return;
    const m = buf.match(/^(\S+)\s*(.*)$/)!;
    const op = m[1].toUpperCase();
    const rest = m[2];
    buf = "";
    if (op === "FROM") {
      const f = rest.match(/^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i)!;
      stage = f[2] ?? String(stages.length);
      stages.push(stage);
      froms.push({ stage, from: resolve(f[1], args) });
    }
    if (op === "ARG") {
      const a = rest.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/)!;
      if (a[2] !== undefined) args[a[1]] = a[2].replace(/^"|"$/g, "");
    }
    instructions.push({ op, args: rest, stage, line: start });
  });
  return {
    instructions,
    stages,
    froms,
    args,
    in: (s, op) => instructions.filter((x) => x.stage === s && (!op || x.op === op)),
  };
}

function resolve(s: string, args: Record<string, string>): string {
  return s.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a: string, b: string) => args[a ?? b] ?? "",
  );
}

/** `KEY=value KEY2="v w"` pairs of an ENV instruction. */
export function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) out[m[1]] = m[2].replace(/^"|"$/g, "");
  return out;
}

/** The argv of an exec-form instruction (`CMD ["node", "x"]`); null for the shell form. */
export function execForm(args: string): string[] | null {
  const json = args.replace(/^(--\S+\s+)*(CMD\s+)?/, "");
  if (!json.startsWith("[")) return null;
  return JSON.parse(json) as string[];
}
