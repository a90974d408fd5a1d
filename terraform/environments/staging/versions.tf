terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }

  # The bucket is given at init: terraform init -backend-config="bucket=<state bucket>"
  backend "gcs" {
    prefix = "devflow/staging"
  }
}
