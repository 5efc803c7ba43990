variable "workspace" {
  type = string
}
