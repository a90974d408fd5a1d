import Link from "next/link";

export default function NotFound() {
  return (
    <main className="center-page">
      <div className="center-page__inner">
        <p className="center-page__code">404</p>
        <h1 className="page-title">Not found</h1>
        <p className="page-subtitle">
          This page does not exist, or it belongs to an organization or project you are not a member of.
        </p>
        <Link href="/" className="ui-button ui-button--secondary">
          Go to your workspace
        </Link>
      </div>
    </main>
  );
}
