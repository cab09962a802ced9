/**
 * REST operations of battery data: datasets (built-in and uploaded), their cells, presets and analyses,
 * and the uploads that create them (tag "Battery datasets").
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const batteryOperations: RestOperation[] = [
  {
    procedure: "battery.listDatasets",
    method: "GET",
    path: "/battery/datasets",
    summary: "Datasets (built-in and own uploads)",
    tag: "Battery datasets",
    output: z.array(out.dataset),
  },
  {
    procedure: "battery.getDataset",
    method: "GET",
    path: "/battery/datasets/{datasetId}",
    summary: "One dataset",
    tag: "Battery datasets",
    output: out.dataset,
  },
  {
    procedure: "battery.listCells",
    method: "GET",
    path: "/battery/datasets/{datasetId}/cells",
    summary: "Cells of a dataset",
    tag: "Battery datasets",
    output: out.cellList,
  },
  {
    procedure: "battery.presets",
    method: "GET",
    path: "/battery/datasets/{datasetId}/presets",
    summary: "Cell presets (splits) of a dataset",
    tag: "Battery datasets",
    output: out.presets,
  },
  {
    procedure: "battery.analysis",
    method: "GET",
    path: "/battery/datasets/{datasetId}/analysis",
    summary: "Statistics per feature and target, correlations (cellIds repeated: ?cellIds=1&cellIds=2)",
    tag: "Battery datasets",
    output: out.analysis,
  },
  {
    procedure: "battery.trends",
    method: "GET",
    path: "/battery/datasets/{datasetId}/trends",
    summary: "Per-cell lines of a variable and PCL degradation rates",
    tag: "Battery datasets",
    output: out.cellLines("Per-cell lines and degradation rates", "lines"),
  },
  {
    procedure: "battery.scatter",
    method: "GET",
    path: "/battery/datasets/{datasetId}/scatter",
    summary: "A feature against RUL or PCL, per cell",
    tag: "Battery datasets",
    output: out.cellLines("A feature against a target, per cell", "groups"),
  },
  {
    procedure: "battery.deleteDataset",
    method: "DELETE",
    path: "/battery/datasets/{datasetId}",
    summary: "Delete an uploaded dataset (the built-in one is 403)",
    tag: "Battery datasets",
    output: out.deleted,
    errors: [403],
  },
  {
    procedure: "battery.upload",
    method: "POST",
    path: "/battery/uploads",
    summary: "Upload a CSV/XLSX file (base64 JSON body); an invalid file answers ok: false with problems",
    tag: "Battery datasets",
    output: out.batteryUpload,
  },
  {
    procedure: "battery.listUploads",
    method: "GET",
    path: "/battery/uploads",
    summary: "Own uploads",
    tag: "Battery datasets",
    output: z.array(out.batteryUploadRow).describe("Uploads"),
  },
  {
    procedure: "battery.deleteUpload",
    method: "DELETE",
    path: "/battery/uploads/{id}",
    summary: "Delete an upload and its dataset",
    tag: "Battery datasets",
    output: out.deleted,
  },
];
