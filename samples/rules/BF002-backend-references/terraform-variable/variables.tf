variable "env" {
  type    = string
  default = "dev"
}
