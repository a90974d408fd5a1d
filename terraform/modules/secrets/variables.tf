variable "project_id" {
  description = "Project that holds the secrets."
  type        = string
}

variable "name_prefix" {
  description = "Secret ids are <name_prefix>-<name>, e.g. devflow-production-database-url."
  type        = string
}

variable "database_host" {
  description = "Cloud SQL's private IP."
  type        = string
}

variable "database_name" {
  description = "The application database."
  type        = string
}

variable "database_owner_user" {
  description = "The schema owner's login (MIGRATION_DATABASE_URL)."
  type        = string
}

variable "database_owner_password" {
  description = "The schema owner's password."
  type        = string
  sensitive   = true
}

variable "database_app_user" {
  description = "The role the apps log in as (DATABASE_URL)."
  type        = string
}

variable "database_app_password" {
  description = "The apps' role's password (DATABASE_URL and DATABASE_APP_PASSWORD)."
  type        = string
  sensitive   = true
}

variable "redis_host" {
  description = "Memorystore's private IP."
  type        = string
}

variable "redis_port" {
  description = "Memorystore's TLS port."
  type        = number
}

variable "redis_auth_string" {
  description = "Memorystore's AUTH password."
  type        = string
  sensitive   = true
}

variable "redis_ca_certificates" {
  description = "Memorystore's server CA certificates, PEM, concatenated."
  type        = string
}

variable "accessors" {
  description = "Secret name => the apps (keys of service_account_emails) that may read it."
  type        = map(list(string))
}

variable "service_account_emails" {
  description = "App => its Google service account's email."
  type        = map(string)
}
