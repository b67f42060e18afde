from django.urls import include, path

urlpatterns = [path("openid/", include("oidc_provider.urls", namespace="oidc_provider"))]
