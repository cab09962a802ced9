import { defineConfig } from "vitest/config";

// Tests run against the real MariaDB that scripts/test.sh starts (DATABASE_URL).
export default defineConfig({
  test: {
    include: ["{server,jobs,db,seeds,native,app,scripts,e2e,bench}/**/*.test.ts"],
    exclude: ["node_modules/**", "build/**", "dist/**"],
    environment: "node",
    pool: "forks",
    // Generous: CI has 2 cores, and browser and training tests share them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Two cores: keep heavy files (training, browsers) from piling onto each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
