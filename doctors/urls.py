from rest_framework.routers import SimpleRouter

from doctors import views

router = SimpleRouter()
router.register("specializations", views.SpecializationViewSet, basename="specialization")
router.register("visit-types", views.VisitTypeViewSet, basename="visit-type")
# doctors/ itself is routed by appointments.urls, with a subclass of views.DoctorViewSet that adds
# the free-day filter and the free slots (both need bookings, which this app knows nothing of).

urlpatterns = router.urls
