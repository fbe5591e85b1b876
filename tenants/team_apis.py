"""The store's team and periodic jobs on its host: owners only change them (403
`owner_required` for staff); the team, with its members' mobiles, is for owners to read too."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.permissions import IsStoreOwner, IsStoreOwnerToChange
from shared_apps.accounts.models import StoreMembership

from .schedules import schedule_change, schedule_get, schedule_in_words, schedule_list
from .team import member_invite, member_list, member_remove, member_role_set

ROLE_CHOICES = StoreMembership.Role.values


class MemberOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seller_id = serializers.IntegerField()
    name = serializers.CharField(source="seller.name")
    mobile = serializers.CharField(source="seller.mobile", allow_null=True)
    email = serializers.CharField(source="seller.email", allow_null=True)
    role = serializers.CharField()
    created_at = serializers.DateTimeField()


class StoreMemberListCreateApi(APIView):
    """GET: the team. POST {"mobile", "role"}: invite; a new mobile gets a seller account,
    who signs in with a code sent to that mobile."""

    permission_classes = [IsStoreOwner]

    class InputSerializer(serializers.Serializer):
        mobile = serializers.CharField(max_length=32)
        role = serializers.ChoiceField(choices=ROLE_CHOICES, default=StoreMembership.Role.STAFF)

    @extend_schema(responses={200: MemberOutputSerializer(many=True)})
    def get(self, request):
        members = member_list(store=request.tenant)
        return Response(MemberOutputSerializer(members, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: MemberOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = member_invite(store=request.tenant, **data.validated_data)
        return Response(MemberOutputSerializer(membership).data, status=status.HTTP_201_CREATED)


class StoreMemberDetailApi(APIView):
    """PATCH {"role"}: make an owner or staff. DELETE: remove from the team. The last owner
    can be neither demoted nor removed (409 `last_owner`)."""

    permission_classes = [IsStoreOwner]

    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=ROLE_CHOICES)

    @extend_schema(request=InputSerializer, responses={200: MemberOutputSerializer})
    def patch(self, request, membership_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = member_role_set(
            store=request.tenant, membership_id=membership_id, role=data.validated_data["role"]
        )
        return Response(MemberOutputSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request, membership_id: int):
        member_remove(store=request.tenant, membership_id=membership_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScheduleOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="periodic_task.name")
    enabled = serializers.BooleanField(source="periodic_task.enabled")
    schedule = serializers.SerializerMethodField(help_text="In words, UTC")
    minute = serializers.CharField(source="periodic_task.crontab.minute")
    hour = serializers.CharField(source="periodic_task.crontab.hour")
    day_of_week = serializers.CharField(source="periodic_task.crontab.day_of_week")
    last_run_at = serializers.DateTimeField(source="periodic_task.last_run_at", allow_null=True)

    def get_schedule(self, schedule) -> str:
        return schedule_in_words(schedule)


class StoreScheduleListApi(APIView):
    permission_classes = [IsStoreOwnerToChange]

    @extend_schema(responses={200: ScheduleOutputSerializer(many=True)})
    def get(self, request):
        schedules = schedule_list(store=request.tenant)
        return Response(ScheduleOutputSerializer(schedules, many=True).data)


class StoreScheduleDetailApi(APIView):
    """PATCH {"enabled", "minute", "hour" (null: every hour), "days" ([0-6], 0 = Sunday;
    empty: every day)}, UTC."""

    permission_classes = [IsStoreOwnerToChange]

    class InputSerializer(serializers.Serializer):
        enabled = serializers.BooleanField()
        minute = serializers.IntegerField(min_value=0, max_value=59)
        hour = serializers.IntegerField(min_value=0, max_value=23, allow_null=True)
        days = serializers.ListField(
            child=serializers.IntegerField(min_value=0, max_value=6), max_length=7
        )

    @extend_schema(responses={200: ScheduleOutputSerializer})
    def get(self, request, key: str):
        return Response(ScheduleOutputSerializer(schedule_get(store=request.tenant, key=key)).data)

    @extend_schema(request=InputSerializer, responses={200: ScheduleOutputSerializer})
    def patch(self, request, key: str):
        schedule = schedule_get(store=request.tenant, key=key)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule_change(schedule=schedule, **data.validated_data)
        schedule = schedule_get(store=request.tenant, key=key)
        return Response(ScheduleOutputSerializer(schedule).data)
