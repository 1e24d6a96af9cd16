from rest_framework.routers import SimpleRouter

from prescriptions import views

router = SimpleRouter()
router.register("prescriptions", views.PrescriptionViewSet, basename="prescription")

urlpatterns = router.urls
