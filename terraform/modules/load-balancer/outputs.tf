output "web_ip_address" {
  description = "The web load balancer's IPv4 address (the A record of the web hostname)."
  value       = google_compute_global_address.web.address
}

output "ingress_addresses" {
  description = "Key => { name, address } of the static IPs reserved for GKE Ingresses."
  value = {
    for key, address in google_compute_global_address.ingress : key => {
      name    = address.name
      address = address.address
    }
  }
}
