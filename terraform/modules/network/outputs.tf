output "network_id" {
  description = "The VPC network's id (projects/<project>/global/networks/<name>)."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "The VPC network's name."
  value       = google_compute_network.this.name
}

output "gke_subnet_name" {
  description = "The subnet GKE nodes run in."
  value       = google_compute_subnetwork.gke.name
}

output "pods_range_name" {
  description = "The GKE subnet's secondary range for pods."
  value       = google_compute_subnetwork.gke.secondary_ip_range[0].range_name
}

output "services_range_name" {
  description = "The GKE subnet's secondary range for Services."
  value       = google_compute_subnetwork.gke.secondary_ip_range[1].range_name
}

output "serverless_subnet_name" {
  description = "The subnet Cloud Run's Direct VPC egress uses."
  value       = google_compute_subnetwork.serverless.name
}

# Consumers of Private Service Access take the network from here, so they wait for the peering.
output "private_services_network_id" {
  description = "The VPC network's id, available once Private Service Access is connected."
  value       = google_compute_network.this.id
  depends_on  = [google_service_networking_connection.private_services]
}

output "private_services_range_name" {
  description = "The allocated range Private Service Access uses (Memorystore's reserved_ip_range)."
  value       = google_compute_global_address.private_services.name
}
