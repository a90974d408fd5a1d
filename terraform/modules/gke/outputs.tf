output "name" {
  description = "The cluster's name."
  value       = google_container_cluster.this.name
}

output "location" {
  description = "The cluster's region."
  value       = google_container_cluster.this.location
}

output "endpoint" {
  description = "The control plane's endpoint."
  value       = google_container_cluster.this.endpoint
}

# Read from the cluster, so Workload Identity bindings wait until the pool exists.
output "workload_pool" {
  description = "The Workload Identity pool, <project>.svc.id.goog."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}
