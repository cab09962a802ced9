import { Model } from "objection";

/** Every model: camelCase properties (mapped to snake_case by the Knex config) and maintained timestamps. */
export class BaseModel extends Model {
  id!: number;
  createdAt!: Date;
  updatedAt!: Date;

  /** Tables without updated_at (append-only rows) set this to false. */
  static hasUpdatedAt = true;

  override $beforeInsert(): void {
    const now = new Date();
    if (!this.createdAt) this.createdAt = now;
    if ((this.constructor as typeof BaseModel).hasUpdatedAt) this.updatedAt = now;
  }

  override $beforeUpdate(): void {
    if ((this.constructor as typeof BaseModel).hasUpdatedAt) this.updatedAt = new Date();
  }
}
