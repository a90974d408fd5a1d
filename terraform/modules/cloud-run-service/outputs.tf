output "name" {
  description = "The service's name."
  value       = google_cloud_run_v2_service.this.name
}

output "uri" {
  description = "The service's run.app URL."
  value       = google_cloud_run_v2_service.this.uri
}

output "id" {
  description = "The service's resource id."
  value       = google_cloud_run_v2_service.this.id
}

output "latest_revision" {
  description = "The revision serving traffic."
  value       = google_cloud_run_v2_service.this.latest_ready_revision
}
