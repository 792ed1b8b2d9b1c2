export function NotBuilt({ title }: { title: string }) {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" className="screen-title">
        {title}
      </h1>
      <div className="panel not-built" data-testid="not-built">
        <p>Not built yet — coming in a later release.</p>
      </div>
    </section>
  );
}
