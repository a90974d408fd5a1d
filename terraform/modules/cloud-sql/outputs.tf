output "instance_name" {
  description = "The Cloud SQL instance's name."
  value       = google_sql_database_instance.this.name
}

output "connection_name" {
  description = "project:region:instance, for the Cloud SQL Auth Proxy (operators' access)."
  value       = google_sql_database_instance.this.connection_name
}

output "private_ip" {
  description = "The instance's private IP address."
  value       = google_sql_database_instance.this.private_ip_address
}

output "database_name" {
  description = "The application database."
  value       = google_sql_database.devflow.name
}

output "owner_user" {
  description = "The schema owner's login (migrations)."
  value       = google_sql_user.owner.name
}

output "owner_password" {
  description = "The schema owner's password."
  value       = random_password.owner.result
  sensitive   = true
}

output "app_user" {
  description = "The row-level-security role the apps log in as (made by the migrations)."
  value       = local.app_user
}

output "app_password" {
  description = "devflow_app's password, given to the role by the migration job."
  value       = random_password.app.result
  sensitive   = true
}
