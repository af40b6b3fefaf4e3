# References are checked before any network traffic.
"$DD" registry manifest Alpine:3.19
"$DD" registry manifest "registry:alpine@sha512:00"
