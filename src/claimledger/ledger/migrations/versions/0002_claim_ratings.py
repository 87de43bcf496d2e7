"""A user's rating of a claim (for ClaimReview export): rating label, explanation, who rated, when.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("rating", sa.String(40)))
        batch.add_column(sa.Column("rating_explanation", sa.Text))
        batch.add_column(sa.Column("rated_by", sa.Text))
        batch.add_column(sa.Column("rated_on", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        for column in ("rated_on", "rated_by", "rating_explanation", "rating"):
            batch.drop_column(column)
