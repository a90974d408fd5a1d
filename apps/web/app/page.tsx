import { redirect } from "next/navigation";
import { requireSignedIn } from "@/lib/page-session";
import { CreateFirstOrganization } from "@/modules/onboarding/CreateFirstOrganization";

/** `/`: the current organization's home, or creating a first organization. */
export default async function HomePage() {
  const session = await requireSignedIn();
  const current = session.organizations.find((o) => o.id === session.currentOrganizationId);
  if (current) redirect(`/${current.slug}`);
  return <CreateFirstOrganization userName={session.user.name} />;
}
