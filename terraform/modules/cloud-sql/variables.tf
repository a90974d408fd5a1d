variable "project_id" {
  description = "Project that holds the instance."
  type        = string
}

variable "region" {
  description = "Region of the instance."
  type        = string
}

variable "name" {
  description = "Instance name prefix, e.g. devflow-production (a random suffix follows: names stay taken for a week after deletion)."
  type        = string
}

variable "network_id" {
  description = "The VPC network the private IP is in; Private Service Access must be connected on it."
  type        = string
}

variable "tier" {
  description = "Machine tier, e.g. db-custom-2-7680 (Enterprise edition)."
  type        = string
}

variable "high_availability" {
  description = "A standby in a second zone with automatic failover (REGIONAL availability) instead of a single zone."
  type        = bool
}

variable "disk_size_gb" {
  description = "Initial SSD size; it grows automatically."
  type        = number
  default     = 20

  validation {
    condition     = var.disk_size_gb >= 10
    error_message = "disk_size_gb must be at least 10."
  }
}

variable "backup_retention_count" {
  description = "Daily automated backups to keep."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_count >= 1 && var.backup_retention_count <= 365
    error_message = "backup_retention_count must be from 1 to 365."
  }
}

variable "point_in_time_recovery_days" {
  description = "Days of write-ahead log kept for point-in-time recovery (1-7)."
  type        = number
  default     = 7

  validation {
    condition     = var.point_in_time_recovery_days >= 1 && var.point_in_time_recovery_days <= 7
    error_message = "point_in_time_recovery_days must be from 1 to 7."
  }
}

variable "database_flags" {
  description = "PostgreSQL flags (name => value), over the module's defaults."
  type        = map(string)
  default     = {}
}

variable "deletion_protection" {
  description = "Refuse to delete the instance, through Terraform and through the API."
  type        = bool
  default     = true
}
