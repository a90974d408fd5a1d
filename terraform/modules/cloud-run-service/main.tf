locals {
  # Cloud Run mounts each secret volume on a directory of its own; the file inside is always this.
  secret_file_name = "ca.pem"
  secret_file_volumes = {
    for i, directory in sort(keys(var.secret_files)) :
    "secret-file-${i}" => { directory = directory, secret = var.secret_files[directory] }
  }
}

resource "google_cloud_run_v2_service" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  ingress             = var.ingress
  deletion_protection = var.deletion_protection

  template {
    service_account                  = var.service_account_email
    timeout                          = "${var.timeout_seconds}s"
    max_instance_request_concurrency = var.concurrency
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    # Direct VPC egress: no Serverless VPC Access connector to run.
    vpc_access {
      egress = var.vpc_egress

      network_interfaces {
        network    = var.vpc_network
        subnetwork = var.vpc_subnetwork
      }
    }

    volumes {
      name = "data"

      empty_dir {
        medium     = "MEMORY"
        size_limit = var.data_dir_size_limit
      }
    }

    # A file an app reads by path (a CA bundle) rather than from a variable.
    dynamic "volumes" {
      for_each = local.secret_file_volumes
      content {
        name = volumes.key

        secret {
          secret = volumes.value.secret

          items {
            version = "latest"
            path    = local.secret_file_name
          }
        }
      }
    }

    containers {
      image   = var.image
      command = var.command

      ports {
        container_port = var.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        cpu_idle          = !var.cpu_always_allocated
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = var.env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = var.secret_env
        iterator = secret
        content {
          name = secret.key
          value_source {
            secret_key_ref {
              secret  = secret.value
              version = "latest"
            }
          }
        }
      }

      volume_mounts {
        name       = "data"
        mount_path = var.data_dir
      }

      dynamic "volume_mounts" {
        for_each = local.secret_file_volumes
        content {
          name       = volume_mounts.key
          mount_path = volume_mounts.value.directory
        }
      }

      # Traffic arrives once the app is ready (its dependencies answer); an instance whose event
      # loop stops answering is replaced.
      startup_probe {
        period_seconds    = 5
        timeout_seconds   = 3
        failure_threshold = 24

        http_get {
          path = "/health/ready"
          port = var.container_port
        }
      }

      liveness_probe {
        period_seconds    = 15
        timeout_seconds   = 5
        failure_threshold = 3

        http_get {
          path = "/health/live"
          port = var.container_port
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  count = var.public ? 1 : 0

  project  = var.project_id
  location = google_cloud_run_v2_service.this.location
  name     = google_cloud_run_v2_service.this.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = var.invokers

  project  = var.project_id
  location = google_cloud_run_v2_service.this.location
  name     = google_cloud_run_v2_service.this.name
  role     = "roles/run.invoker"
  member   = each.value
}
