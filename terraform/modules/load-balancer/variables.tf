variable "project_id" {
  description = "Project that holds the load balancer."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run service behind the load balancer."
  type        = string
}

variable "name" {
  description = "Name prefix of the load balancer's resources, e.g. devflow-production-web."
  type        = string
}

variable "domain" {
  description = "The hostname the certificate is issued for and the load balancer answers, e.g. app.devflow.example.com."
  type        = string
}

variable "cloud_run_service" {
  description = "Name of the Cloud Run service the serverless NEG points at."
  type        = string
}

variable "security_policy" {
  description = "Cloud Armor policy (self link or name) for the backend; null for none."
  type        = string
  default     = null
}

variable "ingress_address_names" {
  description = "Global static IPv4 addresses to reserve for GKE Ingresses: key => address name (the Ingress's global-static-ip-name)."
  type        = map(string)
  default     = {}
}
