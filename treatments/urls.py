from rest_framework.routers import SimpleRouter

from treatments import views

router = SimpleRouter()
router.register("treatments", views.TreatmentViewSet, basename="treatment")

urlpatterns = router.urls
