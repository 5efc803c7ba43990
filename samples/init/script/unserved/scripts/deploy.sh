#!/bin/sh
set -e
cd environments/prod
terraform init -input=false
terraform apply -input=false -auto-approve
