output "name" {
  description = "The bucket's name (GCS_BUCKET)."
  value       = google_storage_bucket.uploads.name
}

output "url" {
  description = "gs:// URL of the bucket."
  value       = google_storage_bucket.uploads.url
}
