/**
 * Reads an env file in the layout of `.env.example`: `KEY=value` (set) and `# KEY=value`
 * (documented, left unset), each under the comment lines that explain it; `##` lines head
 * sections. Used by the tests that keep `.env.example` and the deployment files in step with
 * server/env.ts.
 */
export interface EnvFileSetting {
  key: string;
  value: string;
  /** false for a commented-out `# KEY=value` line. */
  active: boolean;
  /** The comment lines right above it (the setting's meaning). */
  comment: string[];
  line: number;
}

const SETTING = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/;

export function parseEnvFile(text: string): EnvFileSetting[] {
  const settings: EnvFileSetting[] = [];
  let comment: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trimEnd();
    const m = line.match(SETTING);
    if (m) {
      settings.push({ key: m[2], value: m[3], active: !m[1], comment, line: i + 1 });
      comment = [];
    } else if (line.startsWith("##") || line === "") {
      comment = [];
    } else if (line.startsWith("#")) {
      comment.push(line.replace(/^#\s?/, ""));
    } else {
      throw new Error(`line ${i + 1} is neither a comment nor KEY=value: ${line}`);
    }
  });
  return settings;
}
