# Not a scenario: the e2e tests copy this file into a scenario's temporary copy
# when they need the state lock held. Its apply first creates "<release>.held"
# (by then Terraform holds whatever lock the backend takes), then keeps running
# until the test creates the release file, so the lock window lasts exactly as
# long as the test needs; after two minutes it gives up, so a failed test
# cannot hang the run.

variable "lock_release_file" {
  type        = string
  description = "Absolute path of the file whose creation ends the apply."
}

resource "terraform_data" "lock_holder" {
  provisioner "local-exec" {
    command = "touch \"$RELEASE.held\"; i=0; while [ ! -e \"$RELEASE\" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done; [ -e \"$RELEASE\" ]"

    environment = {
      RELEASE = var.lock_release_file
    }
  }
}
