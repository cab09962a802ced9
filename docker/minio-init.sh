#!/bin/sh
# One-shot MinIO set-up for compose.yaml (runs in the minio/mc image): the bucket, and a
# lifecycle rule expiring the store's staging objects (_staging/, left only by a process killed
# mid-upload) after a day. Idempotent: safe on every `docker compose up`.
set -eu
: "${S3_BUCKET:?}" "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
until mc alias set voltlab http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  echo "waiting for MinIO"; sleep 1
done
mc mb --ignore-existing "voltlab/$S3_BUCKET"
if ! mc ilm rule ls "voltlab/$S3_BUCKET" 2>/dev/null | grep -q "_staging/"; then
  mc ilm rule add --prefix "_staging/" --expire-days 1 "voltlab/$S3_BUCKET"
fi
echo "bucket $S3_BUCKET ready"
