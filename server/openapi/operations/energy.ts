/**
 * REST operations of energy data: assets with their series and statistics, and the uploads that
 * fill them (tag "Energy assets").
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const energyOperations: RestOperation[] = [
  {
    procedure: "energy.assets.list",
    method: "GET",
    path: "/energy/assets",
    summary: "Assets (own and built-in)",
    tag: "Energy assets",
    output: z.array(out.asset),
  },
  {
    procedure: "energy.assets.get",
    method: "GET",
    path: "/energy/assets/{id}",
    summary: "One asset with its statistics, windows and uploads",
    tag: "Energy assets",
    output: out.assetDetail,
  },
  {
    procedure: "energy.assets.create",
    method: "POST",
    path: "/energy/assets",
    summary: "Create an empty asset",
    tag: "Energy assets",
    output: out.asset,
  },
  {
    procedure: "energy.assets.rename",
    method: "PATCH",
    path: "/energy/assets/{id}",
    summary: "Rename an asset",
    tag: "Energy assets",
    output: out.asset,
  },
  {
    procedure: "energy.assets.delete",
    method: "DELETE",
    path: "/energy/assets/{id}",
    summary: "Delete an asset and its data",
    tag: "Energy assets",
    output: out.deletedId,
  },
  {
    procedure: "energy.assets.series",
    method: "GET",
    path: "/energy/assets/{id}/series",
    summary: "A range of the series (downsampled to maxPoints)",
    tag: "Energy assets",
    output: out.series,
  },
  {
    procedure: "energy.uploads.inspect",
    method: "POST",
    path: "/energy/uploads/inspect",
    summary: "Columns, inferred types and a preview of a file (stores nothing)",
    tag: "Energy assets",
    output: out.inspection,
  },
  {
    procedure: "energy.uploads.commit",
    method: "POST",
    path: "/energy/uploads",
    summary: "Store a file into an asset with a column mapping (all or nothing)",
    tag: "Energy assets",
    output: out.energyCommit,
    errors: [404],
  },
  {
    procedure: "energy.uploads.list",
    method: "GET",
    path: "/energy/uploads",
    summary: "Own energy uploads",
    tag: "Energy assets",
    output: z.array(out.energyUpload).describe("Uploads"),
  },
];
