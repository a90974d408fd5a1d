output "host" {
  description = "The instance's private IP address."
  value       = google_redis_instance.this.host
}

output "port" {
  description = "The TLS port (6378)."
  value       = google_redis_instance.this.port
}

output "auth_string" {
  description = "The AUTH password."
  value       = google_redis_instance.this.auth_string
  sensitive   = true
}

output "server_ca_certs" {
  description = "PEM certificates of the CA that signed the instance's TLS certificate (clients must trust them)."
  value       = [for ca in google_redis_instance.this.server_ca_certs : ca.cert]
}
