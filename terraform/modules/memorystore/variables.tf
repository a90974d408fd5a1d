variable "project_id" {
  description = "Project that holds the instance."
  type        = string
}

variable "region" {
  description = "Region of the instance."
  type        = string
}

variable "name" {
  description = "Instance name, e.g. devflow-production."
  type        = string
}

variable "network_id" {
  description = "The VPC network the instance is reached from; Private Service Access must be connected on it."
  type        = string
}

variable "reserved_ip_range" {
  description = "Name of the Private Service Access range to take the instance's addresses from."
  type        = string
}

variable "tier" {
  description = "BASIC (one node, no failover) or STANDARD_HA (a replica in another zone, automatic failover)."
  type        = string

  validation {
    condition     = contains(["BASIC", "STANDARD_HA"], var.tier)
    error_message = "tier must be BASIC or STANDARD_HA."
  }
}

variable "memory_size_gb" {
  description = "Memory of the instance in GiB."
  type        = number
  default     = 1
}
