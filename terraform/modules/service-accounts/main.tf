locals {
  accounts = {
    web           = "DevFlow web (Cloud Run)"
    worker        = "DevFlow worker (Cloud Run)"
    collab        = "DevFlow collab (GKE)"
    ai            = "DevFlow ai (GKE)"
    migrate       = "DevFlow database migrations (Cloud Run job)"
    "pubsub-push" = "DevFlow Pub/Sub push to the worker"
    "gke-nodes"   = "DevFlow GKE nodes"
  }

  # Kubernetes service account (in kubernetes_namespace) => the Google account it acts as.
  workload_identity = {
    collab = "collab"
    ai     = "ai"
  }

  # What a node needs for itself: logs, metrics, and Managed Prometheus's reads. Image pulls are
  # granted on the repository (artifact-registry module).
  node_roles = [
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/autoscaling.metricsWriter",
  ]
}

resource "google_service_account" "this" {
  for_each = local.accounts

  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = each.value
}

resource "google_project_iam_member" "node" {
  for_each = toset(local.node_roles)

  project = var.project_id
  role    = each.key
  member  = google_service_account.this["gke-nodes"].member
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = local.workload_identity

  service_account_id = google_service_account.this[each.value].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.workload_identity_pool}[${var.kubernetes_namespace}/${each.key}]"
}
