variable "project_id" {
  description = "Project that holds the cluster."
  type        = string
}

variable "region" {
  description = "Region of the (regional) Autopilot cluster."
  type        = string
}

variable "name" {
  description = "Cluster name, e.g. devflow-production."
  type        = string
}

variable "network_id" {
  description = "The VPC network the cluster joins."
  type        = string
}

variable "subnet_name" {
  description = "The subnet the nodes run in."
  type        = string
}

variable "pods_range_name" {
  description = "The subnet's secondary range for pods."
  type        = string
}

variable "services_range_name" {
  description = "The subnet's secondary range for Services."
  type        = string
}

variable "node_service_account_email" {
  description = "Google service account the nodes run as (logging, metrics, image pulls; never the workloads' identity)."
  type        = string
}

variable "release_channel" {
  description = "GKE release channel: RAPID, REGULAR or STABLE."
  type        = string
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "min_master_version" {
  description = "Lowest control-plane version to accept (e.g. \"1.34\"); null lets the release channel choose."
  type        = string
  default     = null
}

variable "master_authorized_networks" {
  description = "CIDR blocks allowed to reach the control plane's public endpoint (kubectl from CI or operators). Empty: only the VPC."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "maintenance_start_time" {
  description = "Start of the weekly maintenance window (RFC 3339; only its weekday and time of day matter)."
  type        = string
  default     = "2026-01-03T03:00:00Z"
}

variable "deletion_protection" {
  description = "Refuse to destroy the cluster through Terraform."
  type        = bool
  default     = true
}
