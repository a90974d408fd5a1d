variable "project_id" {
  description = "Project that holds the service."
  type        = string
}

variable "region" {
  description = "Region of the service."
  type        = string
}

variable "name" {
  description = "Service name, e.g. devflow-production-web."
  type        = string
}

variable "image" {
  description = "Container image, <region>-docker.pkg.dev/<project>/devflow/<app>:<tag>."
  type        = string
}

variable "command" {
  description = "Overrides the image's entrypoint; null keeps it."
  type        = list(string)
  default     = null
}

variable "container_port" {
  description = "The port the app listens on (Cloud Run passes it as PORT)."
  type        = number
}

variable "service_account_email" {
  description = "The service account the service runs as."
  type        = string
}

variable "env" {
  description = "Plain environment variables: name => value."
  type        = map(string)
  default     = {}
}

variable "secret_env" {
  description = "Environment variables read from Secret Manager: name => secret id (its latest version, resolved when an instance starts)."
  type        = map(string)
  default     = {}
}

variable "secret_files" {
  description = "Secrets mounted as files: directory => secret id; the latest version appears there as ca.pem."
  type        = map(string)
  default     = {}
}

variable "vpc_network" {
  description = "VPC network for Direct VPC egress (Cloud SQL and Memorystore private IPs)."
  type        = string
}

variable "vpc_subnetwork" {
  description = "Subnet Direct VPC egress takes instance addresses from."
  type        = string
}

variable "vpc_egress" {
  description = "PRIVATE_RANGES_ONLY (only private addresses go through the VPC) or ALL_TRAFFIC."
  type        = string
  default     = "PRIVATE_RANGES_ONLY"

  validation {
    condition     = contains(["PRIVATE_RANGES_ONLY", "ALL_TRAFFIC"], var.vpc_egress)
    error_message = "vpc_egress must be PRIVATE_RANGES_ONLY or ALL_TRAFFIC."
  }
}

variable "ingress" {
  description = "Who may reach the service: INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  type        = string

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "public" {
  description = "Let anyone invoke the service without a Google identity (the app authenticates its callers itself)."
  type        = bool
  default     = false
}

variable "invokers" {
  description = "IAM members given roles/run.invoker, by a name known at plan time."
  type        = map(string)
  default     = {}
}

variable "min_instances" {
  description = "Instances kept running when idle."
  type        = number
  default     = 0
}

variable "max_instances" {
  description = "Upper bound of instances (also bounds database connections: instances x DATABASE_POOL_MAX)."
  type        = number

  validation {
    condition     = var.max_instances >= 1
    error_message = "max_instances must be at least 1."
  }
}

variable "concurrency" {
  description = "Requests one instance serves at once."
  type        = number
  default     = 80

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be from 1 to 1000."
  }
}

variable "cpu" {
  description = "CPU limit of an instance, e.g. \"1\" or \"2\"."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of an instance, e.g. \"512Mi\" or \"1Gi\" (the in-memory DATA_DIR counts against it)."
  type        = string
  default     = "512Mi"
}

variable "cpu_always_allocated" {
  description = "Keep CPU allocated between requests (instance-based billing), for work that runs outside requests."
  type        = bool
  default     = false
}

variable "timeout_seconds" {
  description = "Longest a request may take."
  type        = number
  default     = 300

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600
    error_message = "timeout_seconds must be from 1 to 3600."
  }
}

variable "data_dir" {
  description = "Mount path of the writable in-memory directory (the apps' DATA_DIR)."
  type        = string
  default     = "/tmp/devflow"
}

variable "data_dir_size_limit" {
  description = "Size limit of the in-memory DATA_DIR."
  type        = string
  default     = "256Mi"
}

variable "deletion_protection" {
  description = "Refuse to destroy the service through Terraform."
  type        = bool
  default     = true
}
