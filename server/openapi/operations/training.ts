/**
 * REST operations of battery training: training tasks (one run per algorithm) and the model versions
 * they produce (tags "Training" and "Model versions").
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const trainingOperations: RestOperation[] = [
  {
    procedure: "training.create",
    method: "POST",
    path: "/training/tasks",
    summary: "Create a training task (one run per algorithm)",
    tag: "Training",
    output: out.task,
    errors: [404],
  },
  {
    procedure: "training.list",
    method: "GET",
    path: "/training/tasks",
    summary: "Training tasks",
    tag: "Training",
    output: z.array(out.task).describe("Tasks"),
  },
  {
    procedure: "training.get",
    method: "GET",
    path: "/training/tasks/{id}",
    summary: "A task with its runs, results and curves",
    tag: "Training",
    output: out.task,
  },
  {
    procedure: "training.cancel",
    method: "POST",
    path: "/training/tasks/{id}/cancel",
    summary: "Cancel a task, or one run (runId)",
    tag: "Training",
    output: out.cancelledTask,
    errors: [409],
  },
  {
    procedure: "models.list",
    method: "GET",
    path: "/models",
    summary: "Model versions",
    tag: "Model versions",
    output: z.array(out.version).describe("Versions"),
  },
  {
    procedure: "models.get",
    method: "GET",
    path: "/models/{id}",
    summary: "A model version (config, lineage, metrics)",
    tag: "Model versions",
    output: out.version,
  },
  {
    procedure: "models.rename",
    method: "PATCH",
    path: "/models/{id}",
    summary: "Rename a model version",
    tag: "Model versions",
    output: out.version,
  },
  {
    procedure: "models.delete",
    method: "DELETE",
    path: "/models/{id}",
    summary: "Delete a model version and its files",
    tag: "Model versions",
    output: out.deletedRow,
  },
  {
    procedure: "models.downloadOnnx",
    method: "GET",
    path: "/models/{id}/onnx",
    summary: "The ONNX file as base64",
    tag: "Model versions",
    output: out.onnxFile,
  },
];
