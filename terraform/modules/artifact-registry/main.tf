resource "google_artifact_registry_repository" "devflow" {
  project       = var.project_id
  location      = var.region
  repository_id = "devflow"
  description   = "DevFlow container images: web, worker, collab, ai."
  format        = "DOCKER"

  docker_config {
    immutable_tags = var.immutable_tags
  }

  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"

    condition {
      tag_state  = "UNTAGGED"
      older_than = "2592000s"
    }
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"

    most_recent_versions {
      keep_count = var.keep_recent_versions
    }
  }
}

resource "google_artifact_registry_repository_iam_member" "reader" {
  for_each = var.readers

  project    = var.project_id
  location   = google_artifact_registry_repository.devflow.location
  repository = google_artifact_registry_repository.devflow.name
  role       = "roles/artifactregistry.reader"
  member     = each.value
}
