variable "env" {
  type    = string
  default = "dev"
}

variable "passphrase" {
  type      = string
  sensitive = true
}
