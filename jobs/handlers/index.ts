/**
 * Every job handler the worker runs. Add a line per handler module, e.g.
 *   import "./battery-train.js";
 * Each module calls registerHandler(name, async (job, ctx) => …) at import time.
 */
import "./system.js";
import "./battery-train.js";
import "./battery-test.js";
import "./early-life.js";
import "./energy-train.js";
import "./energy-detect.js";
