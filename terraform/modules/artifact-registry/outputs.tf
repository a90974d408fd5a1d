output "registry" {
  description = "Image name prefix: <region>-docker.pkg.dev/<project>/devflow."
  value       = "${google_artifact_registry_repository.devflow.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.devflow.repository_id}"
}

output "repository_id" {
  description = "The repository's id."
  value       = google_artifact_registry_repository.devflow.id
}
