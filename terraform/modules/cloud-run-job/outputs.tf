output "name" {
  description = "The job's name."
  value       = google_cloud_run_v2_job.this.name
}

output "id" {
  description = "The job's resource id."
  value       = google_cloud_run_v2_job.this.id
}
