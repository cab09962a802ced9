/**
 * The import-direction rule of eslint.config.js (docs/architecture.md), checked on code written
 * for the test: a wrong import in each layer is an error, the allowed ones are not.
 */
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import direction", () => {
  it("refuses the server side importing the web app", async () => {
    const errors = await importErrors(
      "server/services/battery/wrong.ts",
      'import { x } from "../../../app/lib/trpc.js";\nexport const y = x;\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("never imports app/");
  });

  it("refuses db/ importing anything from the layers above, types included", async () => {
    const wrong = await importErrors(
      "db/models/wrong.ts",
      'import { createTask } from "../../server/services/training/tasks.js";\nexport const f = createTask;\n',
    );
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toContain("bottom layer");
    const typeOnly = await importErrors(
      "db/models/wrong-type.ts",
      'import type { TaskConfig } from "../../server/schemas/training.js";\nexport type T = TaskConfig;\n',
    );
    expect(typeOnly).toHaveLength(1);
    expect(typeOnly[0]).toContain("bottom layer");
    const env = await importErrors(
      "db/wrong-env.ts",
      'import { env } from "../server/env.js";\nexport const e = env;\n',
    );
    expect(env).toHaveLength(1);
    const fine = await importErrors(
      "db/models/fine.ts",
      'import type { ColumnTypes } from "./column-types.js";\nimport { BaseModel } from "./base-model.js";\nexport type T = ColumnTypes;\nexport const B = BaseModel;\n',
    );
    expect(fine).toEqual([]);
  });

  it("refuses the browser bundle importing database, queue or storage code", async () => {
    const errors = await importErrors(
      "app/routes/wrong.tsx",
      'import { db } from "../../db/db";\nimport { artifacts } from "../../server/storage/artifacts";\nexport const z = [db, artifacts];\n',
    );
    expect(errors).toHaveLength(2);
    const fine = await importErrors(
      "app/routes/fine.tsx",
      'import { taskStatus } from "../../jobs/states";\nimport { z } from "../../server/schemas/training";\nexport const q = [taskStatus, z];\n',
    );
    expect(fine).toEqual([]);
  });

  it("refuses an import cycle, and the anomaly services have none", async () => {
    // detectors.ts imports detector.ts: detector.ts importing detectors.ts back closes a cycle.
    const [cyclic] = await eslint.lintText(
      'import { insideWindows } from "./detectors.js";\nexport const f = insideWindows;\n',
      { filePath: "server/services/anomaly/detector.ts" },
    );
    expect(cyclic.messages.filter((m) => m.ruleId === "import-x/no-cycle")).toHaveLength(1);
    const results = await eslint.lintFiles(["server/services/anomaly/*.ts"]);
    const cycles = results.flatMap((r) => r.messages.filter((m) => m.ruleId === "import-x/no-cycle"));
    expect(cycles).toEqual([]);
  });
});
