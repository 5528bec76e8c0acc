"""The portal's URLs with the plain Django view in front of them."""

from django.urls import path

from bench.views import plain
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/plain/", plain, name="bench_plain"), *portal_urlpatterns]
