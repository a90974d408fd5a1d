variable "project_id" {
  description = "Project that holds the network."
  type        = string
}

variable "region" {
  description = "Region of the subnets, router and NAT."
  type        = string
}

variable "name" {
  description = "Name prefix of every resource, e.g. devflow-production."
  type        = string
}

variable "subnet_cidr" {
  description = "Primary range of the GKE subnet (nodes and internal load balancers)."
  type        = string
  default     = "10.0.0.0/20"

  validation {
    condition     = can(cidrnetmask(var.subnet_cidr))
    error_message = "subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "pods_cidr" {
  description = "Secondary range of the GKE subnet for pod IPs."
  type        = string
  default     = "10.4.0.0/14"

  validation {
    condition     = can(cidrnetmask(var.pods_cidr))
    error_message = "pods_cidr must be an IPv4 CIDR block."
  }
}

variable "services_cidr" {
  description = "Secondary range of the GKE subnet for Kubernetes Service IPs."
  type        = string
  default     = "10.8.0.0/20"

  validation {
    condition     = can(cidrnetmask(var.services_cidr))
    error_message = "services_cidr must be an IPv4 CIDR block."
  }
}

variable "serverless_cidr" {
  description = "Range of the subnet Cloud Run uses for Direct VPC egress (at least /26; each instance takes addresses from it)."
  type        = string
  default     = "10.9.0.0/24"

  validation {
    condition     = can(cidrnetmask(var.serverless_cidr)) && try(tonumber(split("/", var.serverless_cidr)[1]) <= 26, false)
    error_message = "serverless_cidr must be an IPv4 CIDR block of /26 or larger."
  }
}

variable "private_services_cidr" {
  description = "Range reserved for Private Service Access (Cloud SQL and Memorystore take their private IPs from it)."
  type        = string
  default     = "10.10.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.private_services_cidr))
    error_message = "private_services_cidr must be an IPv4 CIDR block."
  }
}
