import type {
  MarkNotificationsReadInput,
  MarkNotificationsReadResult,
  NotificationDto,
  NotificationListDto,
  NotificationPreferencesDto,
  UpdateNotificationPreferencesInput,
} from "@devflow/contracts";
import { api, type OrganizationScoped } from "@devflow/web-data-access";

/** How many notifications the bell shows per page. */
export const BELL_PAGE_SIZE = 20;

/**
 * The signed-in person's notifications and preferences (REST), as RTK Query endpoints injected into
 * the app's API. The list is an infinite query keyed by organization; marking read and live pushes
 * write into the cached pages (see `addLiveNotification`) instead of refetching, so no tags.
 */
const notificationsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listNotifications: build.infiniteQuery<NotificationListDto, OrganizationScoped, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: "/notifications",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: BELL_PAGE_SIZE },
      }),
    }),
    markNotificationsRead: build.mutation<
      MarkNotificationsReadResult,
      OrganizationScoped & { input: MarkNotificationsReadInput }
    >({
      query: ({ organizationId, input }) => ({
        url: "/notifications/read",
        method: "POST",
        organizationId,
        body: input,
      }),
      // Shown read at once; put back if the server refuses, and the count corrected from its answer.
      async onQueryStarted({ organizationId, input }, { dispatch, queryFulfilled }) {
        const readAt = new Date().toISOString();
        const isMarked = (n: NotificationDto) => ("all" in input ? true : input.ids.includes(n.id));
        const patch = dispatch(
          notificationsApi.util.updateQueryData("listNotifications", { organizationId }, (draft) => {
            const changed = draft.pages.flatMap((page) => page.items).filter((n) => n.readAt === null && isMarked(n));
            for (const n of changed) n.readAt = readAt;
            for (const page of draft.pages) page.unreadCount = Math.max(0, page.unreadCount - changed.length);
          }),
        );
        try {
          const { data } = await queryFulfilled;
          dispatch(
            notificationsApi.util.updateQueryData("listNotifications", { organizationId }, (draft) => {
              for (const page of draft.pages) page.unreadCount = data.unreadCount;
            }),
          );
        } catch {
          patch.undo();
        }
      },
    }),
    updateNotificationPreferences: build.mutation<
      NotificationPreferencesDto,
      OrganizationScoped & { input: UpdateNotificationPreferencesInput }
    >({
      query: ({ organizationId, input }) => ({
        url: "/notifications/preferences",
        method: "PUT",
        organizationId,
        body: input,
      }),
    }),
  }),
});

export const {
  useListNotificationsInfiniteQuery,
  useMarkNotificationsReadMutation,
  useUpdateNotificationPreferencesMutation,
} = notificationsApi;

/** Puts a pushed notification at the top of the bell's list (once) and takes the server's unread count. */
export function addLiveNotification(organizationId: string, notification: NotificationDto, unreadCount: number) {
  return notificationsApi.util.updateQueryData("listNotifications", { organizationId }, (draft) => {
    const first = draft.pages[0];
    if (!first) return;
    const isKnown = draft.pages.some((page) => page.items.some((n) => n.id === notification.id));
    if (!isKnown) first.items.unshift(notification);
    for (const page of draft.pages) page.unreadCount = unreadCount;
  });
}
