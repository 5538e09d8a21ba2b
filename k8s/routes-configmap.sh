#!/usr/bin/env bash
# Writes k8s/pgforce-routes.yaml from the files in routes/ (no kubectl needed); run it after
# editing routes/. KubernetesManifestsTest fails while the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# The route files of routes/, byte for byte (KubernetesManifestsTest fails when they differ)."
  echo "# Regenerate after editing routes/: k8s/routes-configmap.sh"
  echo "apiVersion: v1"
  echo "kind: ConfigMap"
  echo "metadata:"
  echo "  name: pgforce-routes"
  echo "  labels: {app: pgforce}"
  echo "data:"
  for f in routes/*.yaml; do
    echo "  $(basename "$f"): |"
    sed 's/^\(.\)/    \1/' "$f"
  done
} > k8s/pgforce-routes.yaml
